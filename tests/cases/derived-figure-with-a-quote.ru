# The 2012 number of zones (173 - 84, computed by the build) said to come from the words
# "As of 2022, there are 173 ...": a derived figure is computed, not quoted.
# breaks: a derived observation is computed, not quoted
# component: sh:not
# focus: obs:zones-2012
INSERT DATA { obs:zones-2012 prov:wasDerivedFrom span:zones-2022 }
