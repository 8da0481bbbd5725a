import pytest


@pytest.fixture(scope="session")
def tagger():
    from nlp import load_pipeline

    return load_pipeline()
