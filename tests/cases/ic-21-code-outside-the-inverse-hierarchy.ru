# The indicator code list made a hierarchy rooted at the number of zones, along the inverse of
# skos:broader: the change in the number of zones is reached (its skos:broader is the number
# of zones), GDP is not.
# breaks: IC-21 Codes from hierarchy (inverse)
# focus: ds:zone-statistics
# value: obs:gdp-2021
# not-value: obs:zones-change-2012-2022
INSERT DATA {
  <https://w3id.org/hitz/id/scheme/indicators> a qb:HierarchicalCodeList ;
    qb:hierarchyRoot indicator:zone-count ; qb:parentChildProperty [ owl:inverseOf skos:broader ] .
}
