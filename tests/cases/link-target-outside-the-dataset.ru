# Hunan's Wikidata link pointed at a DBpedia resource: not an identifier of Wikidata.
# breaks: The target {?o} is not an identifier
# focus: <https://w3id.org/hitz/id/link/wikidata/hunan>
DELETE DATA {
  place:hunan owl:sameAs <http://www.wikidata.org/entity/Q45761> .
  <https://w3id.org/hitz/id/link/wikidata/hunan> rdf:object <http://www.wikidata.org/entity/Q45761> .
} ;
INSERT DATA {
  place:hunan owl:sameAs <http://dbpedia.org/resource/Hunan> .
  <https://w3id.org/hitz/id/link/wikidata/hunan> rdf:object <http://dbpedia.org/resource/Hunan> .
}
