# "President Xi Jinping": the person holds the post, the post does not name its holder.
# breaks: the person org:holds {?post}, which is not org:heldBy them
# focus: person:xi-jinping
DELETE DATA { post:president-of-china org:heldBy person:xi-jinping }
