"""Helper module shipped next to the script and found through the Towerfile's import_paths."""


def greet(name: str, n: int = 1) -> str:
    return f"Hello, {name}! ({n})"
