"""Understanding what people mean: example situations, the hybrid ranker, the no-answer guard,
small talk and wellbeing signposts (issue 11)."""
