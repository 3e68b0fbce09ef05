from lark import Lark
from lark.indenter import Indenter
class I(Indenter):
    NL_type='_NL'; OPEN_PAREN_types=['LPAR']; CLOSE_PAREN_types=['RPAR']; INDENT_type='_INDENT'; DEDENT_type='_DEDENT'; tab_len=4
p=Lark.open('grammar/idsl.lark', parser='lalr', postlex=I(), propagate_positions=True, maybe_placeholders=False)
import sys
print(p.parse(open(sys.argv[1]).read()).pretty() if len(sys.argv)>1 else "ok")
