import subprocess, sys, logging
logging.basicConfig(level=logging.WARNING)
from weasyprint import HTML
text = "Інформаційно-роз'яснювальні правопросвітницькі заходи щодо забезпечення доступу до безоплатної правової допомоги результативності правопросвітницьких " * 3
cases = [("default", ""), ("ascii", "hyphenate-character: '-';"), ("soft", r"hyphenate-character: '\AD';"), ("lim", 'hyphenate-limit-chars: 6 3 3;'), ("none", "hyphens: manual")]
for name, css in cases:
    html = f'<html lang="uk"><body style="font-family: Liberation Serif; font-size:12pt"><div style="width:35mm; hyphens:auto; {css}">{text}</div></body></html>'
    HTML(string=html).write_pdf(f"{name}.pdf")
    out = subprocess.run(["pdftotext", f"{name}.pdf", "-"], capture_output=True, text=True).stdout
    words = out.split()
    print(name, [w for w in words if not w.strip(".,") in text.split()][:12])
    print(repr(out[:200]))
