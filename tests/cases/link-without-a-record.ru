# The link of Hunan to Wikidata kept, its verification record gone.
# breaks: The link {$this} {?p} {?o} has no verification record
# focus: place:hunan
DELETE WHERE { <https://w3id.org/hitz/id/link/wikidata/hunan> ?p ?o }
