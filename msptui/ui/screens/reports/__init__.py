"""Reports: a client's service report with its plots, and the monthly review of every client."""
