"""What people read: the 评分标准 text, the Word scoring table and the Excel templates."""
