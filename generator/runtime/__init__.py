"""The hand-written runtime every generated package ships: HTTP, auth, validation, errors.

Generated code stays thin (signatures, types, docstrings); all behaviour lives here.
"""
