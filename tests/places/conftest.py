import pytest

from marsad.doc import Doc


@pytest.fixture(scope="session")
def places_step():
    from marsad.places.component import component
    return component()


@pytest.fixture
def run(places_step):
    """Run the places step alone on a text; return the Doc."""
    def _run(text: str) -> Doc:
        doc = Doc(text)
        places_step(doc)
        return doc
    return _run


@pytest.fixture(scope="session")
def pipeline():
    """The default pipeline, for rules whose effect is on the events."""
    from marsad.pipeline import default_pipeline
    return default_pipeline()
