"""Documents in and out: Excel (roster import, template, plan workbook), synthetic counties."""
