# The structure loses its one measure, sdmx-measure:obsValue.
# breaks: IC-3 DSD includes measure
# focus: <https://w3id.org/hitz/id/dsd/zone-statistics>
DELETE DATA { <https://w3id.org/hitz/id/dsd/zone-statistics> qb:component <https://w3id.org/hitz/id/dsd/zone-statistics/component/obs-value> }
