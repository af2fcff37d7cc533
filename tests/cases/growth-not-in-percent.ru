# "an 8.1% growth" given in unit:NUM, as if it were a count.
# breaks: a percentage change (hitz:PercentChange) is in unit:PERCENT
# component: sh:hasValue
# focus: obs:gross-industrial-output-growth-2022-01-07
DELETE DATA { obs:gross-industrial-output-growth-2022-01-07 sdmx-attribute:unitMeasure unit:PERCENT } ;
INSERT DATA { obs:gross-industrial-output-growth-2022-01-07 sdmx-attribute:unitMeasure unit:NUM }
