"""PostgreSQL only: accent- and typo-tolerant search over projects (core.search), exactly as
ideas 0014 does it for ideas and problems.

- ``projects_project.search_vector``: ``to_tsvector('english', sc_fold(title, purpose and
  tags))``, generated, stored and GIN-indexed, so "whanau" matches "whānau" and the portfolio's
  search and the one search across kinds (core.finding) are one indexed match — the portfolio
  computed a vector per row before.
- Triggers add the words of projects to the search lexicon (core 0001), where the words one
  slip away from a typed word are found; the words already stored are added now.

On SQLite this migration does nothing (the selectors ask sc_match, in Python).
"""

from django.db import migrations

from core.search_schema import vector_operation

TABLE = "projects_project"
COLUMNS = ("title", "purpose", "tag_text")
INDEX = "project_search_vector"


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_rank_bytewise"), ("core", "0001_search")]
    operations = [vector_operation(TABLE, COLUMNS, INDEX)]
