"""pvegen: code generator, typed client and compatibility checker for the Proxmox VE API."""

from .errors import PvegenError, SpecError
from .load import load_spec, load_spec_text
from .model import Operation, Permissions, Schema, Spec

__version__ = "0.1.0"
__all__ = ["Operation", "Permissions", "PvegenError", "Schema", "Spec", "SpecError", "load_spec", "load_spec_text"]
