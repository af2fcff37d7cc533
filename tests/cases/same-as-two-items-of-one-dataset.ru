# China linked to Hunan's Wikidata item as well as its own, with a record for each.
# breaks: An entity is owl:sameAs more than one item of the same dataset
# focus: place:china
INSERT DATA {
  place:china owl:sameAs <http://www.wikidata.org/entity/Q45761> .
  <https://w3id.org/hitz/id/link/wikidata/china-as-hunan> a hitz:LinkVerification ;
    dcterms:isPartOf <https://w3id.org/hitz/id/linkset/wikidata> ;
    rdf:subject place:china ; rdf:predicate owl:sameAs ; rdf:object <http://www.wikidata.org/entity/Q45761> .
}
