"""Forms check the shape of what a person sends; the services check the rules (who may import,
publish, ask or decide, and whether a file fits the dataset's mapping).

- ``upload``: the CSV file field both import pages use, with its size limit;
- ``steward``: a dataset's next version;
- ``dataset``: adding a dataset (what it is, its first file, what each column is);
- ``access``: the governing group, rules of use, restricted-access requests and decisions.
"""
