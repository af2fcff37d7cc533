# "gross industrial output worth CNY17.5 trillion, an 8.1% growth", the 8.1 written as 18.1.
# breaks: the figures do not add up: from {?earlierObservation}
# focus: obs:gross-industrial-output-growth-2022-01-07
DELETE { obs:gross-industrial-output-growth-2022-01-07 sdmx-measure:obsValue ?v }
INSERT { obs:gross-industrial-output-growth-2022-01-07 sdmx-measure:obsValue "18.1"^^xsd:decimal }
WHERE { obs:gross-industrial-output-growth-2022-01-07 sdmx-measure:obsValue ?v }
