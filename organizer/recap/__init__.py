"""The monthly recap: its data (model), the one document every format prints (document), and
one thin printer per format (md, txt, html, pdf with its Typst template), chosen by name in
formats. The data is gathered from the database by services.recap."""
