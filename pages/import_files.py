"""Import: upload LinkedIn files and trackers, check how columns are read, import.

File names, sheet names, headers and messages about a file's content are the user's
text: every one is shown through ``escape_markdown``, so none renders as markup or a link.
"""

import streamlit as st

from infoint_core.errors import InfointError
from infoint_core.headers import FIELD_LABELS
from infoint_core.humanize import count, plural
from infoint_core.importers import ImportOptions, import_bytes
from infoint_core.template import template_bytes
from ui import (
    current_owner,
    escape_markdown,
    get_store,
    owner_name,
    preview_upload,
    show_error,
)

IGNORE = "ignore"
FIELD_CHOICES = [IGNORE, *FIELD_LABELS]

st.title("Import")
st.write(
    "Upload your LinkedIn data export (the whole `.zip`, or `Connections.csv`, "
    "`Invitations.csv`, `messages.csv`) and your own tracker (`.xlsx`, `.csv`). "
    "Importing the same file again only adds what is new."
)
st.download_button(
    "Download the tracker template (.xlsx)",
    template_bytes(),
    file_name="infoint-tracker.xlsx",
    icon=":material/download:",
)

uploads = st.file_uploader(
    "Files to import",
    # .xls is taken only to tell the user, in our words, to save it as .xlsx.
    type=["zip", "csv", "tsv", "txt", "xlsx", "xlsm", "xls"],
    accept_multiple_files=True,
)
date_order = st.radio(
    "When a date like 03/04/2026 could be either, read it as",
    ["DMY", "MDY"],
    format_func={"DMY": "day/month (3 April)", "MDY": "month/day (March 4)"}.get,
    horizontal=True,
)


def mapping_editor(name: str, sheet) -> dict[str, str]:
    """Let the user correct how each column of a tracker sheet is read."""
    title = f"{name} · sheet {sheet.sheet}" if sheet.sheet else name
    with st.expander(f"Columns of {escape_markdown(title)}", expanded=True):
        if not sheet.is_log:
            st.warning("This sheet does not look like a log; it will be skipped.")
        mapping = {}
        columns = st.columns(3)
        for index, header in enumerate(sheet.headers):
            current = sheet.mapping.get(header) or IGNORE
            mapping[header] = columns[index % 3].selectbox(
                escape_markdown(header),
                FIELD_CHOICES,
                index=FIELD_CHOICES.index(current),
                format_func=lambda f: "Not imported" if f == IGNORE else FIELD_LABELS[f],
                key=f"map:{name}:{sheet.sheet}:{header}",
            )
        if sheet.rows:
            st.caption("First rows")
            st.dataframe([dict(zip(sheet.headers, row, strict=False)) for row in sheet.rows])
    return mapping


owner = owner_name(current_owner())
plans = []
for upload in uploads or []:
    data = upload.getvalue()
    preview = preview_upload(upload.name, data, owner, date_order)
    if preview.error:
        st.error(escape_markdown(preview.error), icon=":material/error:")
        continue
    st.subheader(escape_markdown(upload.name))
    st.write(f"{preview.label} · {preview.rows:,} rows")
    mapping: dict[str, str] = {}
    for sheet in preview.sheets:
        mapping |= mapping_editor(upload.name, sheet)
    plans.append((upload.name, data, mapping))

if plans and st.button(f"Import {plural(len(plans), 'file')}", type="primary"):
    progress = st.progress(0.0, text="Importing…")
    results = []
    try:
        for done, (name, data, mapping) in enumerate(plans, start=1):
            options = ImportOptions(owner=owner, mapping=mapping, date_order=date_order)
            results.append(import_bytes(get_store(), name, data, options))
            progress.progress(done / len(plans), text=f"Imported {escape_markdown(name)}")
    except InfointError as error:
        show_error(error)
    for result in results:
        if result.error:
            st.error(escape_markdown(result.error), icon=":material/error:")
            continue
        st.success(
            f"{escape_markdown(result.path)}: {plural(result.contacts_added, 'contact')} added, "
            f"{count(result.contacts_updated)} updated, {plural(result.events_added, 'step')} "
            "added",
            icon=":material/check_circle:",
        )
        for warning in result.warnings:
            st.warning(escape_markdown(warning))
