"""The reproduction report (REPORT.md, index.html, summary.json) from the steps' records.

* :mod:`~dlbasics.report.build`: the whole document, and writing its files;
* :mod:`~dlbasics.report.settings`: what the pipeline tells the report besides the records;
* :mod:`~dlbasics.report.load`: what each step left in its cache folder;
* :mod:`~dlbasics.report.format`: how values are written;
* :mod:`~dlbasics.report.sections`: one builder per section;
* :mod:`~dlbasics.report.comparison`: our numbers beside the original report's, with verdicts;
* :mod:`~dlbasics.report.figures`: the classifiers' pictures (templates, confusions, mistakes).

It imports the documents, plotting and results layers only: never the pipeline, the data (the
class names and test images come in through the settings), the sweeps or the CLI.
"""
