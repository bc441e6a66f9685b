"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), mounted at /open311/v2/:
the portal's public feedback and petitions for machines, in JSON or XML. `urls` routes
the spec's paths, `views` answers them (requests in through cases.services.case_receive,
their progress out through portal.selectors) and `forms` parses a posted request."""
