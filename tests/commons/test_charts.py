"""The indicator chart's geometry: hidden values break lines, never get drawn, and are marked."""

from decimal import Decimal

from commons.charts import MAX_LINES, line_chart, nice_ceiling, number_text


def test_a_hidden_value_breaks_the_line_and_is_marked_on_the_axis_not_drawn():
    periods = ["2021", "2022", "2023", "2024", "2025"]
    chart = line_chart(periods, [("Māori", [12, 15, None, 21, 24])], unit="people")
    line = chart.lines[0]
    assert len(line.segments) == 2  # 2021–2022, then 2024–2025: nothing joins across 2023
    assert [p.period for p in line.points] == ["2021", "2022", "2024", "2025"]
    assert line.hidden == ["2023"]
    assert [m.label for m in chart.hidden_marks] == ["2023"]
    assert "2023" not in " ".join(p.period for p in line.points)


def test_points_sit_in_the_plot_and_higher_values_sit_higher():
    chart = line_chart(["a", "b"], [("x", [3, 300])])
    low, high = chart.lines[0].points
    assert chart.top <= high.y < low.y <= chart.bottom_edge
    assert chart.left <= low.x < high.x <= chart.right_edge
    assert chart.y_ticks[-1].label == "500"  # 300 rounds up to a round axis top
    assert chart.y_ticks[0].label == "0"


def test_rates_keep_their_decimals_and_counts_their_separators():
    assert number_text(Decimal("12.50")) == "12.5"
    assert number_text(Decimal("1469")) == "1,469"
    assert number_text(3.14159) == "3.14"
    chart = line_chart(["2020/21"], [("Total", [Decimal("7.25")])], unit="%")
    assert chart.lines[0].points[0].text == "7.25"


def test_nothing_shown_is_an_empty_chart_and_too_many_lines_are_cut():
    assert line_chart(["a", "b"], [("x", [None, None])]).empty
    many = [(f"line {i}", [1, 2]) for i in range(MAX_LINES + 3)]
    assert len(line_chart(["a", "b"], many).lines) == MAX_LINES


def test_round_axis_tops():
    assert [nice_ceiling(v) for v in (0.7, 3, 11, 240, 2600)] == [1, 5, 20, 250, 5000]
