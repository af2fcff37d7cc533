# A declared slice key that names sdmx-dimension:refTime, which the structure does not have.
# breaks: IC-8 Slice Keys consistent with DSD
# focus: <https://w3id.org/hitz/id/dsd/zone-statistics/slice-key/by-time>
INSERT DATA {
  <https://w3id.org/hitz/id/dsd/zone-statistics> qb:sliceKey <https://w3id.org/hitz/id/dsd/zone-statistics/slice-key/by-time> .
  <https://w3id.org/hitz/id/dsd/zone-statistics/slice-key/by-time> a qb:SliceKey ;
    qb:componentProperty sdmx-dimension:refTime .
}
