package settle_test

import (
	"errors"

	"github.com/switchyard/switchyard/events"
)

func hasField(err error, field string) bool {
	var fe *events.FieldError
	return errors.As(err, &fe) && fe.Field == field
}
