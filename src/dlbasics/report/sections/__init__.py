"""The report's sections, one module each (or one per group of alike sections).

Each builder turns the loaded records of the steps (:class:`~dlbasics.report.load.StepData`)
into a :class:`~dlbasics.documents.document.Section`; :mod:`dlbasics.report.build` puts them in
order.
"""
