"""The class-code page: what a student sees who opens the class's address without the code in it.

:func:`class_code_page` is the page (installed by :mod:`dprk_internals.voila_login` in place of Jupyter's
developer login); :data:`CLASS_CODE_LOGIN` is the handler class ``classroom.cli.voila_config`` names.
"""

from __future__ import annotations

import html

from dprk_internals.voila_login import login_handler

#: The page's texts (one place, to translate).
TEXTS = {
    "title": "North Korea's lifelines: join the class",
    "lead": "Type the class code your teacher shows on the projector, then press Enter.",
    "label": "Class code",
    "button": "Join",
    "refused": "That code is not right. Check it on the projector and type it again.",
    "lecturer": "Lecturers: type the lecturer's code here to see the facilitator's apps.",
}


def class_code_page(action: str, xsrf: str, error: str = "") -> str:
    """The class-code page's HTML: one field, one button, and the message after a refused code.

    Parameters
    ----------
    action : str
        The form's address (the server's ``/login`` with the page the visitor wanted).
    xsrf : str
        The form's hidden XSRF field (HTML, from the server).
    error : str
        Non-empty after a refused code: the page says so in plain words (the server's own message is not
        shown: it may name internals).
    """
    esc = html.escape
    refused = f'<p class="refused" role="alert">{esc(TEXTS["refused"])}</p>' if error else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(TEXTS["title"])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 18px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #222; }}
input {{ font: inherit; padding: .4rem .6rem; width: 12rem; }} button {{ font: inherit; padding: .4rem 1rem; }}
.refused {{ color: #a61b1b; }} .small {{ color: #555; font-size: 90%; }}
</style></head>
<body>
<h1>{esc(TEXTS["title"])}</h1>
<p>{esc(TEXTS["lead"])}</p>
{refused}
<form action="{esc(action)}" method="post" class="class-code">
{xsrf}
<label for="password_input">{esc(TEXTS["label"])}</label>
<input type="password" name="password" id="password_input" autofocus autocomplete="off">
<button type="submit" id="login_submit">{esc(TEXTS["button"])}</button>
</form>
<p class="small">{esc(TEXTS["lecturer"])}</p>
</body></html>
"""


#: The login handler of the class server: this page in place of Jupyter's.
CLASS_CODE_LOGIN = login_handler(class_code_page)

__all__ = ["CLASS_CODE_LOGIN", "TEXTS", "class_code_page"]
