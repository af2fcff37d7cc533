# "173 national high-tech development zones, 84 more than in 2012", the 84 mistyped as 85:
# 173 - 89 (the 2012 figure the build derives) is 84, not 85.
# breaks: the figures do not add up: {?laterObservation} ({?later}) -
# focus: obs:zones-change-2012-2022
DELETE DATA { obs:zones-change-2012-2022 sdmx-measure:obsValue 84 } ;
INSERT DATA { obs:zones-change-2012-2022 sdmx-measure:obsValue 85 }
