"""Teaching documents made from the model: guide, answer key, worked solutions, handouts, cards, slides, site."""
