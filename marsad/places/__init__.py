"""Places: Marsad's offline Arabic gazetteer and geoparser (issue 3).

``gazetteer`` compiles the name index, ``geoparser`` finds and resolves mentions, ``component``
is the pipeline step "places", ``attach.place_for_event`` gives an event its place.
"""
