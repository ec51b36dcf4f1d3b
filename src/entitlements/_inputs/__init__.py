"""What callers bring: contracts, contracts files, requests, records."""
