# A cube with a measure dimension and two measures, but only one observation (for
# sdmx-measure:obsValue) for the area, period and indicator of the 2021 GDP.
# breaks: IC-17 All measures present in measures dimension cube
# focus: ds:zone-statistics
# value: obs:gdp-2021
INSERT DATA {
  <https://w3id.org/hitz/id/dsd/zone-statistics> qb:component [ qb:dimension qb:measureType ] ,
      [ qb:measure <https://w3id.org/hitz/id/measure/share> ] .
  <https://w3id.org/hitz/id/measure/share> a qb:MeasureProperty .
  obs:gdp-2021 qb:measureType sdmx-measure:obsValue .
}
