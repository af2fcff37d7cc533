# The link of Hunan to Wikidata removed, its verification record left behind.
# breaks: The link this record verifies is not in the graph
# focus: <https://w3id.org/hitz/id/link/wikidata/hunan>
DELETE DATA { place:hunan owl:sameAs <http://www.wikidata.org/entity/Q45761> }
