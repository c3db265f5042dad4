"""Documents: a small model of a page (sections of paragraphs, tables, figures) and its two
renderings, Markdown and one self-contained HTML page.

Every page the project writes (the report, a sweep's summary) is built as a
:class:`~dlbasics.documents.document.Document` and rendered here, so there is one Markdown
writer and one HTML writer.
"""
