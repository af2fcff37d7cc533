# "the C919 passenger jet" without the field it is an achievement in.
# breaks: an achievement must have exactly one hitz:field
# component: sh:minCount
# focus: achievement:c919
DELETE WHERE { achievement:c919 hitz:field ?field }
