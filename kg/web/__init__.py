"""What `kg serve` shows a browser and a linked-data client, beside the SPARQL endpoint of
kg.server: the query page (kg.web.page), the pages and RDF of the graph's IRIs (kg.web.linked),
the pictures (kg.web.pictures); kg.web.routes is the table of them all."""
