"""Response deadlines, their explanation, response status and tallies."""
