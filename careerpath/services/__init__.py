"""Services: compose the domain core and the data layer for the UI, the CLI and the API."""
