"""Entity extraction and linking: pure Python, no Django (see ARCHITECTURE.md).

``analyse.analyse()`` finds and clusters each text's mentions (stages: spans.py,
classify.py, coreference.py); ``resolve.resolve()`` links them to the library's entities.
"""
