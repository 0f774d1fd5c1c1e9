"""A published title that starts like a formula is text in the open-data CSV (OWASP)."""

from edugov.kernel.publishing import Dataset
from edugov.portal import opendata


def test_open_data_csv_neutralises_formulas():
    rows = [{"title": '=HYPERLINK("http://evil.example")', "n": 3}, {"title": "正常", "n": -4}]
    dataset = Dataset(slug="t", title="t", description="", columns=(("title", "标题"), ("n", "数")),
                      rows=lambda: rows, updated=lambda: None, count=lambda: 2)
    text = "".join(opendata.as_csv(dataset))
    assert "'=HYPERLINK" in text and "\n正常,-4" in text.replace("\r", "")
