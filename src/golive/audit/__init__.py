from golive.audit.service import record

__all__ = ["record"]
