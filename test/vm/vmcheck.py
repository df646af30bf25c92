"""What every check script of the test VM shares: a failed expectation, raised as Fail."""


class Fail(Exception):
    pass


def expect(cond, why):
    if not cond:
        raise Fail(why)
