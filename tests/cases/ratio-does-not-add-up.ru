# "grew from CNY5.4 trillion in 2012 to CNY15.3 trillion in 2021": 15.3 / 5.4 = 2.83, here
# written as the growth (1.83) instead of the ratio.
# breaks: the figures do not add up: {?laterObservation} ({?later}) / {?earlierObservation}
# focus: obs:gdp-ratio-2012-2021
DELETE { obs:gdp-ratio-2012-2021 sdmx-measure:obsValue ?v }
INSERT { obs:gdp-ratio-2012-2021 sdmx-measure:obsValue "1.83"^^xsd:decimal }
WHERE { obs:gdp-ratio-2012-2021 sdmx-measure:obsValue ?v }
