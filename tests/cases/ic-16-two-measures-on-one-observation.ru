# A cube with a measure dimension and a second measure: the 2021 GDP says it measures
# sdmx-measure:obsValue, but also has a value for the other measure.
# breaks: IC-16 Single measure on measure dimension observation
# focus: ds:zone-statistics
# value: obs:gdp-2021
INSERT DATA {
  <https://w3id.org/hitz/id/dsd/zone-statistics> qb:component [ qb:dimension qb:measureType ] ,
      [ qb:measure <https://w3id.org/hitz/id/measure/share> ] .
  <https://w3id.org/hitz/id/measure/share> a qb:MeasureProperty .
  obs:gdp-2021 qb:measureType sdmx-measure:obsValue ; <https://w3id.org/hitz/id/measure/share> 13.4 .
}
