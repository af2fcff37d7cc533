# The indicator code list made a hierarchy whose only root is GDP, along skos:narrower: the
# number of zones cannot be reached from it (while GDP itself can).
# breaks: IC-20 Codes from hierarchy:
# focus: ds:zone-statistics
# value: obs:zones-2022
# not-value: obs:gdp-2021
INSERT DATA {
  <https://w3id.org/hitz/id/scheme/indicators> a qb:HierarchicalCodeList ;
    qb:hierarchyRoot indicator:gdp ; qb:parentChildProperty skos:narrower .
}
