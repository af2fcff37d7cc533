# A cube with a measure dimension: the 2012 GDP names sdmx-measure:obsValue as its measure
# but has no value for it.
# breaks: IC-15 Measure dimension consistent
# focus: ds:zone-statistics
# value: obs:gdp-2012
DELETE WHERE { obs:gdp-2012 sdmx-measure:obsValue ?value } ;
INSERT DATA {
  <https://w3id.org/hitz/id/dsd/zone-statistics> qb:component [ qb:dimension qb:measureType ] .
  obs:gdp-2012 qb:measureType sdmx-measure:obsValue .
}
