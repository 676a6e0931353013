"""plotclient: the Python client of plotserver (the plotting API and session come with issue 3)."""
