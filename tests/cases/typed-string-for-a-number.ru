# "As of 2022, there are 173 national high-tech development zones", the 173 typed as a string.
# breaks: an observation needs exactly one sdmx-measure:obsValue, a number
# component: sh:or
# focus: obs:zones-2022
DELETE DATA { obs:zones-2022 sdmx-measure:obsValue 173 } ;
INSERT DATA { obs:zones-2022 sdmx-measure:obsValue "173"^^xsd:string }
