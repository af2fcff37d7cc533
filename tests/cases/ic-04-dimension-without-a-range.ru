# breaks: IC-4 Dimensions have range
# focus: sdmx-dimension:refArea
DELETE WHERE { sdmx-dimension:refArea rdfs:range ?range }
