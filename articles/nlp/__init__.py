"""Entity extraction and linking: pure Python, no Django (see ARCHITECTURE.md)."""
