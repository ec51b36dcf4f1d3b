"""The answers, and the rules of Tables 1 and 2, deliverables, availability and capacity."""
