from alpine AS my_stage.v1
from My_Stage.V1 AS b1
